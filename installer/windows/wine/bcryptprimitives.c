/*
 * ProcessPrng for Wine 8.0 (Debian 12), which lacks it: Rust's standard
 * library (1.78 and later) imports it from bcryptprimitives.dll, so without
 * this no Rust program for Windows starts under that Wine. Built with mingw
 * into the test prefix's system32 by `cargo xtask test`; never shipped.
 * It fills the buffer from RtlGenRandom (advapi32's SystemFunction036),
 * which Wine has.
 */
#include <windows.h>

typedef BOOLEAN(WINAPI *gen_random)(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    static gen_random gen;
    if (!gen) {
        HMODULE advapi = LoadLibraryA("advapi32.dll");
        if (!advapi)
            return FALSE;
        gen = (gen_random)GetProcAddress(advapi, "SystemFunction036");
        if (!gen)
            return FALSE;
    }
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!gen(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
