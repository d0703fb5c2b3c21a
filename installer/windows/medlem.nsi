; Medlem's Windows installer, built on Debian by `cargo xtask dist windows`
; with makensis (NSIS 3). Per-user: no administrator is asked for. It puts
; medlem.exe, medlem-cli.exe and WebView2Loader.dll in
; %LOCALAPPDATA%\Programs\Medlem, a shortcut in the Start menu and an
; uninstaller in Apps & features. The register (%APPDATA%\se.medlem.desktop)
; is never touched: neither by installing nor by uninstalling.
;
; makensis -DVERSION=0.1.0 -DSOURCE=<folder with the three files> -DICON=<icon.ico>
;          -DOUTFILE=<Medlem_0.1.0_x64-setup.exe> medlem.nsi

; 64-bit, like the program it installs (and Wine64 runs it in the tests).
Target amd64-unicode
; -DCOMPRESSOR=zlib packs faster (the test installer of `cargo xtask test`).
!ifdef COMPRESSOR
  SetCompressor ${COMPRESSOR}
!else
  SetCompressor /SOLID lzma
!endif
RequestExecutionLevel user
ManifestDPIAware true

!ifndef VERSION
  !error "VERSION is not set (-DVERSION=0.1.0)"
!endif
!ifndef SOURCE
  !error "SOURCE is not set (-DSOURCE=folder with medlem.exe)"
!endif
!ifndef ICON
  !error "ICON is not set (-DICON=icons/icon.ico)"
!endif
!ifndef OUTFILE
  !define OUTFILE "Medlem_${VERSION}_x64-setup.exe"
!endif

!define NAME "Medlem"
!define PUBLISHER "Medlem"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Medlem"
; Microsoft Edge WebView2 Runtime, as its installer registers it.
!define WEBVIEW2_KEY "Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"
!define WEBVIEW2_LINK "https://go.microsoft.com/fwlink/p/?LinkId=2124703"

Name "${NAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${NAME}"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
BrandingText "${NAME} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "${NAME}"
VIAddVersionKey /LANG=0 "FileDescription" "${NAME} installer"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=0 "LegalCopyright" "${PUBLISHER}"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "nsDialogs.nsh"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_LANGDLL_ALLLANGUAGES
!define MUI_FINISHPAGE_RUN "$INSTDIR\medlem.exe"

!insertmacro MUI_PAGE_WELCOME
Page custom WebView2Page
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; The first is the default when Windows speaks none of them.
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "Swedish"
!insertmacro MUI_LANGUAGE "Danish"
!insertmacro MUI_LANGUAGE "Norwegian"

!insertmacro MUI_RESERVEFILE_LANGDLL

LangString WebView2Title ${LANG_ENGLISH} "Microsoft Edge WebView2 is missing"
LangString WebView2Title ${LANG_SWEDISH} "Microsoft Edge WebView2 saknas"
LangString WebView2Title ${LANG_DANISH} "Microsoft Edge WebView2 mangler"
LangString WebView2Title ${LANG_NORWEGIAN} "Microsoft Edge WebView2 mangler"

LangString WebView2Subtitle ${LANG_ENGLISH} "Medlem shows its window with it."
LangString WebView2Subtitle ${LANG_SWEDISH} "Medlem visar sitt fönster med den."
LangString WebView2Subtitle ${LANG_DANISH} "Medlem viser sit vindue med den."
LangString WebView2Subtitle ${LANG_NORWEGIAN} "Medlem viser vinduet sitt med den."

LangString WebView2Text ${LANG_ENGLISH} "This computer does not have Microsoft Edge WebView2 Runtime, which Medlem needs to show its window. Windows 10 and 11 usually have it.$\r$\n$\r$\nGet it free from Microsoft (the Evergreen Bootstrapper), install it, and then start Medlem. You can install Medlem now and WebView2 afterwards."
LangString WebView2Text ${LANG_SWEDISH} "Den här datorn har inte Microsoft Edge WebView2 Runtime, som Medlem behöver för att visa sitt fönster. Windows 10 och 11 brukar ha den.$\r$\n$\r$\nHämta den gratis från Microsoft (Evergreen Bootstrapper), installera den och starta sedan Medlem. Du kan installera Medlem nu och WebView2 efteråt."
LangString WebView2Text ${LANG_DANISH} "Denne computer har ikke Microsoft Edge WebView2 Runtime, som Medlem skal bruge for at vise sit vindue. Windows 10 og 11 har den som regel.$\r$\n$\r$\nHent den gratis fra Microsoft (Evergreen Bootstrapper), installer den, og start derefter Medlem. Du kan installere Medlem nu og WebView2 bagefter."
LangString WebView2Text ${LANG_NORWEGIAN} "Denne datamaskinen har ikke Microsoft Edge WebView2 Runtime, som Medlem trenger for å vise vinduet sitt. Windows 10 og 11 har den som regel.$\r$\n$\r$\nHent den gratis fra Microsoft (Evergreen Bootstrapper), installer den, og start deretter Medlem. Du kan installere Medlem nå og WebView2 etterpå."

LangString WebView2Link ${LANG_ENGLISH} "Open Microsoft's download page"
LangString WebView2Link ${LANG_SWEDISH} "Öppna Microsofts nedladdningssida"
LangString WebView2Link ${LANG_DANISH} "Åbn Microsofts downloadside"
LangString WebView2Link ${LANG_NORWEGIAN} "Åpne Microsofts nedlastingsside"

LangString UninstallKeeps ${LANG_ENGLISH} "Medlem is removed from this computer. Your register and its backups are kept; delete them yourself if you no longer need them."
LangString UninstallKeeps ${LANG_SWEDISH} "Medlem tas bort från datorn. Ditt register och dess säkerhetskopior finns kvar; ta bort dem själv om du inte behöver dem längre."
LangString UninstallKeeps ${LANG_DANISH} "Medlem fjernes fra computeren. Dit register og dets sikkerhedskopier bevares; slet dem selv, hvis du ikke længere har brug for dem."
LangString UninstallKeeps ${LANG_NORWEGIAN} "Medlem fjernes fra datamaskinen. Registeret ditt og sikkerhetskopiene beholdes; slett dem selv om du ikke lenger trenger dem."

!define MUI_UNCONFIRMPAGE_TEXT_TOP "$(UninstallKeeps)"

Var WebView2Found

Function .onInit
  !insertmacro MUI_LANGDLL_DISPLAY
  Call FindWebView2
FunctionEnd

Function un.onInit
  !insertmacro MUI_UNGETLANGUAGE
FunctionEnd

; WebView2Found: 1 when the runtime is registered for the machine or this user.
Function FindWebView2
  StrCpy $WebView2Found 0
  SetRegView 64
  ReadRegStr $0 HKLM "SOFTWARE\WOW6432Node\${WEBVIEW2_KEY}" "pv"
  ${If} $0 == ""
    ReadRegStr $0 HKLM "SOFTWARE\${WEBVIEW2_KEY}" "pv"
  ${EndIf}
  ${If} $0 == ""
    ReadRegStr $0 HKCU "Software\${WEBVIEW2_KEY}" "pv"
  ${EndIf}
  ${If} $0 != ""
  ${AndIf} $0 != "0.0.0.0"
    StrCpy $WebView2Found 1
  ${EndIf}
FunctionEnd

; Shown only when WebView2 is missing: what it is and where to get it.
Function WebView2Page
  ${If} $WebView2Found == 1
    Abort
  ${EndIf}
  !insertmacro MUI_HEADER_TEXT "$(WebView2Title)" "$(WebView2Subtitle)"
  nsDialogs::Create 1018
  Pop $0
  ${NSD_CreateLabel} 0 0 100% 60% "$(WebView2Text)"
  Pop $0
  ${NSD_CreateLink} 0 65% 100% 12u "$(WebView2Link)"
  Pop $1
  ${NSD_OnClick} $1 OpenWebView2Page
  nsDialogs::Show
FunctionEnd

Function OpenWebView2Page
  ExecShell "open" "${WEBVIEW2_LINK}"
FunctionEnd

Section "Medlem" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  File "${SOURCE}\medlem.exe"
  File "${SOURCE}\medlem-cli.exe"
  File "${SOURCE}\WebView2Loader.dll"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortCut "$SMPROGRAMS\${NAME}.lnk" "$INSTDIR\medlem.exe" "" "$INSTDIR\medlem.exe" 0

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\medlem.exe"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  Delete "$INSTDIR\medlem.exe"
  Delete "$INSTDIR\medlem-cli.exe"
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${NAME}.lnk"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
SectionEnd
