//! The seed corpora in `fuzz/corpus/<target>/`, made by the code itself
//! (so they are real: exports, backups and templates as Medlem writes
//! them) plus a few hand-made files for what Medlem never writes (CSV
//! from other programs: `,` and tab, quotes, Windows-1252, UTF-16).
//! `cargo xtask fuzz --seeds` writes them again.

use std::error::Error;
use std::fs;
use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::AtomicBool;

use medlem_core::age;
use medlem_core::age::secrecy::ExposeSecret;
use medlem_core::export::{self, ExportFormat};
use medlem_core::{backup, demo, letters, Language, ListQuery, SqliteRegister};

type Seeds = Vec<(String, Vec<u8>)>;
type Res<T> = Result<T, Box<dyn Error>>;

/// Writes `target`'s seeds into `dir`; how many.
pub fn write(target: &str, dir: &Path) -> Res<usize> {
    let seeds = match target {
        "import_table" => import_table()?,
        "backup_reader" => backup_reader()?,
        "template" => template()?,
        "bank_file" => bank_file()?,
        other => return Err(format!("no seeds for `{other}`").into()),
    };
    fs::create_dir_all(dir)?;
    for (name, bytes) in &seeds {
        fs::write(dir.join(name), bytes)?;
    }
    Ok(seeds.len())
}

fn demo_register(members: usize) -> Res<SqliteRegister> {
    let mut reg = SqliteRegister::open_in_memory()?;
    demo::create(&mut reg, members)?;
    Ok(reg)
}

fn import_table() -> Res<Seeds> {
    let reg = demo_register(4)?;
    let tmp = tempfile::tempdir()?;
    let mut seeds = Seeds::new();
    for (format, language) in [
        (ExportFormat::Csv, Language::Sv),
        (ExportFormat::Xlsx, Language::Da),
        (ExportFormat::Json, Language::En),
    ] {
        let out = tmp.path().join(format!("export.{}", format.extension()));
        export::export(
            &reg,
            &ListQuery::default(),
            format,
            language,
            &out,
            &mut |_| {},
            &AtomicBool::new(false),
        )?;
        seeds.push((
            format!("export-{}.{}", language.as_str(), format.extension()),
            fs::read(&out)?,
        ));
    }
    // As LibreOffice writes it (see tests/fixtures/README.md).
    seeds.push((
        "members-nb.ods".into(),
        include_bytes!("../../tests/fixtures/members-nb.ods").to_vec(),
    ));
    // The sheets alone: the target puts an XML sheet into a workbook.
    seeds.push(("ods-content.xml".into(), crate::sheet_of(crate::ODS_SHEET)));
    seeds.push(("xlsx-sheet1.xml".into(), crate::sheet_of(crate::XLSX_SHEET)));
    let text = |name: &str, s: &str| (name.to_owned(), s.as_bytes().to_vec());
    seeds.push(text(
        "comma-quoted.csv",
        "Member number,First name,Last name,Address,E-mail,Notes\n\
         1002,\"Bo\",\"Ek\",\"Storgatan 1, lgh 1102\",bo@example.se,\"Says \"\"hi\"\"\non two lines\"\n\
         ,Eva,Lind,,eva@example.se,'=1+1\n",
    ));
    seeds.push(text(
        "tab.tsv",
        "Fornavn\tEtternavn\tMedlemsnr\tInnmeldt\tFødselsdato\tSpråk\n\
         Ola\tNordmann\t1003.0\t01.05.2019\t19800101\tnorsk\n\
         Kari\tNordmann\t\t45352\t1/3/1981\ten\n",
    ));
    seeds.push(text(
        "danish.csv",
        "Fornavn;Efternavn;Medlemsnr.;Indmeldt;Status;Statusdato;Sprog;Land;Roller\n\
         Jens;Ærø;1004;1-3-2024;aktiv;2024-03-01;dansk;Danmark;board 2024-01-01..\n\
         Mette;Ås;1004;2024-03-01 00:00:00;udmeldt;;da;DK;\n",
    ));
    // Windows-1252, as older Excel saves a Swedish list.
    seeds.push((
        "latin1.csv".into(),
        b"F\xf6rnamn;Efternamn;Postnr;Ort;E-post\r\n\xc5sa;\xd6stlund;123 45;G\xe4vle;\xe5sa@example.se\r\n"
            .to_vec(),
    ));
    // UTF-16 with its byte-order mark, as "Unicode text" from Excel.
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "Förnamn\tEfternamn\tMedlemsnummer\r\nÅsa\tÖstlund\t1005\r\n".encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    seeds.push(("utf16.csv".into(), utf16));
    Ok(seeds)
}

fn backup_reader() -> Res<Seeds> {
    let tmp = tempfile::tempdir()?;
    let mut reg = medlem_core::open(&tmp.path().join("seed.sqlite"))?;
    demo::create(&mut reg, 3)?;
    backup::set_passphrase(&reg, crate::FUZZ_PASSPHRASE, Some(4))?;
    let stick = tmp.path().join("stick");
    let report = backup::backup(&reg, &stick, &mut |_, _| {})?;
    // The decrypted copy, in pages of 1 KiB instead of 4 (a quarter of the
    // size: libFuzzer mutates small inputs faster); still a sound backup.
    let plain = tmp.path().join("plain.sqlite");
    {
        let identity = backup::register_identity(&reg)?;
        let decryptor =
            age::Decryptor::new_buffered(std::io::BufReader::new(fs::File::open(&report.file)?))?;
        let mut reader = decryptor.decrypt(std::iter::once(&identity as &dyn age::Identity))?;
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes)?;
        fs::write(&plain, bytes)?;
        let conn = rusqlite::Connection::open(&plain)?;
        conn.execute_batch("PRAGMA page_size = 1024; VACUUM;")?;
    }
    let copy = fs::read(&plain)?;
    // Variants the checks refuse: a newer schema, no backup information.
    let variant = |name: &str, sql: &str| -> Res<Vec<u8>> {
        let path = tmp.path().join(name);
        fs::copy(&plain, &path)?;
        rusqlite::Connection::open(&path)?.execute_batch(sql)?;
        Ok(fs::read(&path)?)
    };
    let newer = variant("newer.sqlite", "PRAGMA user_version = 9999;")?;
    let no_info = variant("noinfo.sqlite", "DROP TABLE backup_info; VACUUM;")?;

    let to_fuzz_key = |plain: &[u8]| -> Res<Vec<u8>> {
        let recipient = crate::identity().to_public();
        let encryptor =
            age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))?;
        let mut out = Vec::new();
        let mut w = encryptor.wrap_output(&mut out)?;
        w.write_all(plain)?;
        w.finish()?;
        Ok(out)
    };
    let fp = backup::fingerprint(&backup::register_identity(&reg)?.to_public());
    let key_file = fs::read(stick.join(backup::key_file_name(&fp)))?;
    // The register's own secret key, encrypted to the fuzz key: a file
    // that decrypts but holds no database.
    let not_a_db = to_fuzz_key(
        backup::register_identity(&reg)?
            .to_string()
            .expose_secret()
            .as_bytes(),
    )?;
    let mode = |m: u8, bytes: &[u8]| [&[m][..], bytes].concat();
    Ok(vec![
        ("backup".into(), mode(0, &to_fuzz_key(&copy)?)),
        ("backup-not-a-database".into(), mode(0, &not_a_db)),
        ("decrypted".into(), mode(1, &copy)),
        ("decrypted-newer".into(), mode(1, &newer)),
        ("decrypted-no-info".into(), mode(1, &no_info)),
        ("key-file".into(), mode(2, &key_file)),
    ])
}

fn template() -> Res<Seeds> {
    let reg = SqliteRegister::open_in_memory()?;
    let mut seeds: Seeds = letters::templates(&reg)?
        .into_iter()
        .map(|t| {
            (
                format!("{}.{}.txt", t.key, t.language.as_str()),
                format!("{}\n{}\n", t.subject, t.body).into_bytes(),
            )
        })
        .collect();
    let text = |name: &str, s: &str| (name.to_owned(), s.as_bytes().to_vec());
    seeds.extend([
        text(
            "own-with-value.txt",
            "Hej {{ member.first_name }}\n**Viktigt:** {% if member.city %}du bor i {{ member.city }}{% else %}okänd ort{% endif %}\n\n- ett\n* två\n\n{{ today }}\0Anna-Lena * **fet** -\nny rad",
        ),
        text(
            "unknown-field.txt",
            "Subject {{ member.shoe_size }}\nBody {{ org.name }}",
        ),
        text(
            "syntax-error.txt",
            "Subject\n{% if member.name %}unclosed {{ member.name",
        ),
        text(
            "loops-and-filters.txt",
            "{{ org.name | upper }}\n{% for c in member.name %}{{ c }}{% endfor %} {{ member.number | default('x') }} {% set x = 3 %}{{ x * 2 }}",
        ),
    ]);
    Ok(seeds)
}

/// The hand-made bank files of core's tests (each follows its format's
/// published description; their references 1000017, 1000025 and 1000033
/// are the dry-run register's invoices).
fn bank_file() -> Res<Seeds> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/bank");
    let mut seeds = Seeds::new();
    for entry in fs::read_dir(&dir)? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("bank").to_owned();
        seeds.push((name, fs::read(&path)?));
    }
    seeds.sort();
    Ok(seeds)
}
