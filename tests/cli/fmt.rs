//! `acquis fmt` as a command: in place, `--check` (the files listed on
//! standard output, exit 1), standard input to standard output, syntax
//! errors reported and the file left alone, missing paths, symbolic links,
//! the directory walk. What the formatter writes is tested on
//! `acquis_grammar::format` (grammar/tests/api/fmt.rs, and
//! compiler/tests/api/fmt.rs for the IR it keeps).

use std::fs;

use crate::common::{acquis, Acquis, TempDir};

fn read(path: impl AsRef<std::path::Path>) -> String {
    fs::read_to_string(path).unwrap()
}

/// A temporary directory with an empty `sub/`.
fn temp_dir(test: &str) -> TempDir {
    let dir = TempDir::new(test);
    fs::create_dir(dir.join("sub")).unwrap();
    dir
}

const UGLY: &str = "block B \"b\" { competency C1 \"c\" }\n";
const PRETTY: &str = "block B \"b\" {\n  competency C1 \"c\"\n}\n";
const BROKEN: &str = "block B \"b\" {\n  competency C1\n}\n";

#[test]
fn check_lists_the_files_that_would_change_and_exits_1() {
    let dir = temp_dir("check");
    let ugly = dir.0.join("sub/ugly.acquis");
    fs::write(&ugly, UGLY).unwrap();
    fs::write(dir.0.join("pretty.acquis"), PRETTY).unwrap();
    fs::write(dir.0.join("notes.txt"), UGLY).unwrap();
    let run = acquis(&["fmt", "--check", dir.0.to_str().unwrap()]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(run.stdout, format!("{}\n", ugly.display()));
    assert!(
        run.stderr
            .contains("2 files checked, 1 would be reformatted"),
        "{}",
        run.stderr
    );
    assert_eq!(read(&ugly), UGLY, "--check must not write");

    fs::write(&ugly, PRETTY).unwrap();
    let run = acquis(&["fmt", "--check", dir.0.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout, "");
}

#[test]
fn the_examples_pass_check() {
    let run = acquis(&["fmt", "--check", "examples"]);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains(" checked, 0 would be reformatted"),
        "{}",
        run.stderr
    );
}

#[test]
fn files_and_directories_are_rewritten_in_place() {
    let dir = temp_dir("rewrite");
    let a = dir.0.join("a.acquis");
    let b = dir.0.join("sub/b.acquis");
    fs::write(&a, UGLY).unwrap();
    fs::write(&b, UGLY.replace('\n', "\r\n")).unwrap();
    let run = acquis(&[
        "fmt",
        a.to_str().unwrap(),
        dir.0.join("sub").to_str().unwrap(),
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(read(&a), PRETTY);
    assert_eq!(read(&b), PRETTY);
    assert!(
        run.stderr.contains("2 files checked, 2 reformatted"),
        "{}",
        run.stderr
    );
    // No temporary file is left behind.
    let left: Vec<_> = fs::read_dir(&dir.0)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 2, "{left:?}");
}

#[test]
fn stdin_is_formatted_to_stdout() {
    for args in [&["fmt", "-"][..], &["fmt", "--stdin"][..]] {
        let run = Acquis::new(args).stdin(UGLY).run();
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        assert_eq!(run.stdout, PRETTY);
    }
    let run = Acquis::new(&["fmt", "--check", "-"]).stdin(UGLY).run();
    assert_eq!((run.code, run.stdout.as_str()), (Some(1), "<stdin>\n"));
    let run = Acquis::new(&["fmt", "--check", "-"]).stdin(PRETTY).run();
    assert_eq!((run.code, run.stdout.as_str()), (Some(0), ""));
}

#[test]
fn a_file_with_syntax_errors_is_reported_and_left_alone() {
    let dir = temp_dir("syntax");
    let broken = dir.0.join("broken.acquis");
    let ugly = dir.0.join("ugly.acquis");
    fs::write(&broken, BROKEN).unwrap();
    fs::write(&ugly, UGLY).unwrap();
    let run = acquis(&["fmt", dir.0.to_str().unwrap()]);
    assert_eq!(run.code, Some(1));
    let location = format!("{}:3:1", broken.display());
    assert!(run.stderr.contains(&location), "{}", run.stderr);
    assert!(run.stderr.contains("A0101"), "{}", run.stderr);
    assert!(run.stderr.contains("not formatted"), "{}", run.stderr);
    assert_eq!(read(&broken), BROKEN);
    assert_eq!(read(&ugly), PRETTY, "the other files are still formatted");

    let run = Acquis::new(&["fmt", "-"]).stdin(BROKEN).run();
    assert_eq!(run.code, Some(1));
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("<stdin>:3:1"), "{}", run.stderr);
}

#[test]
fn missing_paths_are_errors() {
    let run = acquis(&["fmt", "does/not/exist.acquis"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("does/not/exist.acquis"),
        "{}",
        run.stderr
    );
    let run = acquis(&["fmt"]);
    assert_eq!(run.code, Some(2), "a path or --stdin is required");
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_is_formatted_through_and_stays_a_link() {
    let dir = temp_dir("symlink");
    let real = dir.0.join("real.acquis");
    fs::write(&real, UGLY).unwrap();
    let link = dir.0.join("sub/link.acquis");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    // The link alone, then the directory holding both (formatted once).
    let run = acquis(&["fmt", link.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(read(&real), PRETTY);
    fs::write(&real, UGLY).unwrap();
    let run = acquis(&["fmt", dir.0.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.contains("1 file checked, 1 reformatted"),
        "{}",
        run.stderr
    );
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(read(&real), PRETTY);
}

#[test]
fn a_directory_walk_skips_hidden_directories_and_target() {
    let dir = temp_dir("hidden");
    for hidden in [".git/x.acquis", "target/y.acquis", "sub/.cache/z.acquis"] {
        let file = dir.0.join(hidden);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(&file, UGLY).unwrap();
    }
    fs::write(dir.0.join("sub/visible.acquis"), UGLY).unwrap();
    let run = acquis(&["fmt", "--check", dir.0.to_str().unwrap()]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(
        run.stdout,
        format!("{}\n", dir.0.join("sub/visible.acquis").display())
    );
    // Named on the command line, such a directory is formatted.
    let run = acquis(&["fmt", "--check", dir.0.join("target").to_str().unwrap()]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
}

/// `fmt` reads as the compiler does: a device or a pipe is refused without
/// being opened, and a file over 32 MiB is refused, counted while read.
#[cfg(unix)]
#[test]
fn devices_pipes_and_huge_files_are_refused() {
    let run = acquis(&["fmt", "/dev/zero"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("/dev/zero: error: cannot read the file: not a regular file (a device, a pipe or a socket)"),
        "{}",
        run.stderr
    );
    let dir = temp_dir("huge");
    let huge = dir.0.join("huge.acquis");
    fs::write(&huge, vec![b'a'; 33 * 1024 * 1024]).unwrap();
    let run = acquis(&["fmt", "--check", huge.to_str().unwrap()]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("more than the 32 MiB"),
        "{}",
        run.stderr
    );
}
