//! `cargo bench --bench interop`: peak memory and time of `acquis import
//! rncp` on a large generated export (default 300 MB; `ACQUIS_BENCH_MB`
//! overrides), plain and zipped. The export is written to the system's
//! temporary directory and removed afterwards. The peak is the child's
//! `VmHWM` (high-water mark of resident memory) read from /proc while it
//! runs, which only grows, so its last value is the peak.
//! docs/performance.md records the figures.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One fiche of about 4 KB: three blocs of hand-written HTML, as the real
/// export has them.
fn fiche(out: &mut impl Write, n: usize) -> std::io::Result<()> {
    write!(
        out,
        "  <FICHE>\n    <NUMERO_FICHE>RNCP{n}</NUMERO_FICHE>\n    <INTITULE>Titre professionnel numéro {n} : concevoir, réaliser et évaluer</INTITULE>\n    <ETAT_FICHE>Publiée</ETAT_FICHE>\n    <ACTIF>Oui</ACTIF>\n    <NOMENCLATURE_EUROPE><NIVEAU>NIV{}</NIVEAU></NOMENCLATURE_EUROPE>\n    <DATE_EFFET>01/09/2024</DATE_EFFET>\n    <DATE_FIN_ENREGISTREMENT>01/09/2029</DATE_FIN_ENREGISTREMENT>\n    <CERTIFICATEURS><CERTIFICATEUR><NOM_CERTIFICATEUR>Organisme {n}</NOM_CERTIFICATEUR></CERTIFICATEUR></CERTIFICATEURS>\n    <BLOCS_COMPETENCES>\n",
        3 + n % 6
    )?;
    for b in 1..=3 {
        write!(out, "      <BLOC_COMPETENCES>\n        <CODE>RNCP{n}BC0{b}</CODE>\n        <LIBELLE>Bloc {b} : organiser et conduire les activités</LIBELLE>\n        <LISTE_COMPETENCES>")?;
        for c in 1..=6 {
            write!(out, "&lt;p&gt;C{b}.{c} Analyser la situation, proposer une solution adapt&amp;eacute;e et en rendre compte aux parties prenantes&lt;/p&gt;")?;
        }
        write!(out, "</LISTE_COMPETENCES>\n        <MODALITES_EVALUATION>&lt;ul&gt;&lt;li&gt;Mise en situation professionnelle reconstitu&amp;eacute;e, 2 h, coefficient 2&lt;/li&gt;&lt;li&gt;Soutenance devant un jury de professionnels&lt;/li&gt;&lt;/ul&gt;</MODALITES_EVALUATION>\n      </BLOC_COMPETENCES>\n")?;
    }
    writeln!(out, "    </BLOCS_COMPETENCES>\n  </FICHE>")
}

/// Writes an export of about `megabytes` MB; returns the last fiche number.
fn generate(path: &Path, megabytes: u64) -> std::io::Result<usize> {
    let mut out = BufWriter::new(File::create(path)?);
    writeln!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<FICHES>\n  <VERSION_FLUX>4.1</VERSION_FLUX>"
    )?;
    let mut n = 10_000;
    let mut written = 0u64;
    let mut buf = Vec::new();
    while written < megabytes * 1_000_000 {
        buf.clear();
        fiche(&mut buf, n)?;
        out.write_all(&buf)?;
        written += buf.len() as u64;
        n += 1;
    }
    writeln!(out, "</FICHES>")?;
    out.flush()?;
    Ok(n - 1)
}

/// Runs `acquis ARGS`; (wall time, peak resident memory in MB, success).
fn measure(args: &[&str]) -> (Duration, f64, bool) {
    let start = Instant::now();
    let Ok(mut child) = Command::new(env!("CARGO_BIN_EXE_acquis"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    else {
        return (Duration::ZERO, 0.0, false);
    };
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0u64;
    let ok = loop {
        if let Ok(status) = std::fs::read_to_string(&status_file) {
            for line in status.lines() {
                if let Some(v) = line.strip_prefix("VmHWM:") {
                    let kb = v.trim().trim_end_matches("kB").trim().parse().unwrap_or(0);
                    peak_kb = peak_kb.max(kb);
                }
            }
        }
        match child.try_wait() {
            Ok(Some(status)) => break status.success(),
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(_) => break false,
        }
    };
    (start.elapsed(), peak_kb as f64 / 1024.0, ok)
}

fn main() {
    let megabytes = std::env::var("ACQUIS_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let dir = std::env::temp_dir().join(format!("acquis-bench-interop-{}", std::process::id()));
    if std::fs::create_dir_all(&dir).is_err() {
        eprintln!("cannot create {}", dir.display());
        return;
    }
    let xml = dir.join("export.xml");
    let Ok(last) = generate(&xml, megabytes) else {
        eprintln!("cannot write {}", xml.display());
        return;
    };
    let size = std::fs::metadata(&xml).map_or(0, |m| m.len()) as f64 / 1e6;
    let zipped = dir.join("export.zip");
    let zip_ok = Command::new("zip")
        .args(["-q", "-j"])
        .arg(&zipped)
        .arg(&xml)
        .status()
        .is_ok_and(|s| s.success());
    let out = dir.join("out");
    let out = out.to_string_lossy();
    let fiche = format!("RNCP{last}");
    println!("| input | command | time | peak memory |\n| --- | --- | ---: | ---: |");
    let mut inputs = vec![(
        format!("XML, {size:.0} MB, {} fiches", last - 9_999),
        xml.clone(),
    )];
    if zip_ok {
        let zsize = std::fs::metadata(&zipped).map_or(0, |m| m.len()) as f64 / 1e6;
        inputs.push((format!("the same zipped, {zsize:.0} MB"), zipped.clone()));
    }
    for (label, path) in &inputs {
        let path = path.to_string_lossy();
        for (what, args) in [
            (
                "`--fiche` (the last one)",
                vec!["import", "rncp", &path, "--fiche", &fiche, "-o", &out],
            ),
            ("`--list`", vec!["import", "rncp", &path, "--list"]),
        ] {
            let (time, peak, ok) = measure(&args);
            println!(
                "| {label} | {what} | {:.2} s | {peak:.1} MB |{}",
                time.as_secs_f64(),
                if ok { "" } else { " (failed)" }
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
