use super::*;

#[test]
fn engine_builds() {
    assert!(ENGINE.is_ok(), "{:?}", ENGINE.as_ref().err());
}

#[test]
fn prose_about_ransomware_passes() {
    let g = OutputGuard::new();
    let text = "Ransomware usually enumerates files, encrypts them (e.g. with CryptEncrypt), runs \
                `vssadmin delete shadows /all /quiet` and leaves a note asking for bitcoin.";
    assert_eq!(g.scan_whole(text), None);
}
