//! The server's transport over standard input and output: LSP's base
//! protocol (a `Content-Length` header, a blank line, a JSON-RPC message).
//!
//! Unlike `lsp_server::Connection::stdio`, whose reader ends at the first
//! message it cannot parse (the server then stops without a word), a
//! message that is not valid JSON-RPC gets the answer JSON-RPC 2.0 asks
//! for and the server keeps serving: text that is not UTF-8 or not JSON is
//! a *Parse error* (-32700), JSON that is not a request, a response or a
//! notification (`[]`, `5`, a batch, `"method": null`) an *Invalid Request*
//! (-32600), with the message's `id` when it has a usable one, else `null`.
//! A body larger than [`MAX_MESSAGE`] is skipped unread and refused the same
//! way. Input that cannot be a header (a line of more than 8 KiB) is
//! skipped up to the next `Content-Length:`, whatever comes before it, and
//! answered with a *Parse error*: the reader finds the next frame again. So
//! does a header line with stray bytes before its `Content-Length:` (bytes
//! without a line break before a frame, or left over from a body longer
//! than its length said).
//! Only the end of the input ends the reader.

use std::io::{self, BufRead, Read, Write};
use std::sync::{Arc, Mutex};
use std::thread;

use lsp_server::{Connection, Message};
use serde_json::{json, Value};

/// The largest message read (64 MiB): a document is at most 32 MiB
/// (`acquis_compiler::loader`), and its JSON escaping may double it.
pub const MAX_MESSAGE: usize = 64 * 1024 * 1024;

/// JSON-RPC 2.0's codes for messages that cannot be handled.
const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;

/// The reader and writer threads of [`stdio`].
pub struct IoThreads {
    reader: thread::JoinHandle<()>,
    writer: thread::JoinHandle<()>,
}

impl IoThreads {
    /// Waits for both threads: the writer ends when the connection is
    /// dropped, the reader at `exit` or at the end of the input.
    pub fn join(self) {
        let _ = self.reader.join();
        let _ = self.writer.join();
    }
}

/// A connection over standard input and output.
pub fn stdio() -> (Connection, IoThreads) {
    let out = Arc::new(Mutex::new(io::stdout()));
    let (to_client, outgoing) = crossbeam_channel::unbounded::<Message>();
    let (incoming, from_client) = crossbeam_channel::unbounded::<Message>();
    let writer_out = Arc::clone(&out);
    let writer = thread::spawn(move || {
        for message in outgoing {
            // As `lsp_server` writes it: the message with `"jsonrpc": "2.0"`.
            let Ok(mut value) = serde_json::to_value(&message) else {
                continue;
            };
            if let Some(object) = value.as_object_mut() {
                object.insert("jsonrpc".into(), "2.0".into());
            }
            let text = value.to_string();
            if write_frame(&writer_out, &text).is_err() {
                // The client is gone: nothing more can be said.
                break;
            }
        }
    });
    let reader = thread::spawn(move || {
        let stdin = io::stdin();
        let mut input = stdin.lock();
        read_loop(&mut input, &mut |read| match read {
            Frame::Message(message) => {
                let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                incoming.send(message).is_ok() && !exit
            }
            Frame::Refused(answer) => write_frame(&out, &answer.to_string()).is_ok(),
        });
    });
    (
        Connection {
            sender: to_client,
            receiver: from_client,
        },
        IoThreads { reader, writer },
    )
}

/// What the reader makes of one frame.
#[derive(Debug)]
pub enum Frame {
    /// A message to handle.
    Message(Message),
    /// The error response to send back at once.
    Refused(Value),
}

/// Reads frames until the input ends or `each` returns false.
pub fn read_loop(input: &mut dyn BufRead, each: &mut dyn FnMut(Frame) -> bool) {
    let mut resumed = false;
    loop {
        let length = match read_headers(input, resumed) {
            Ok(Some(length)) => length,
            // A line too long to be a header: what follows is skipped up
            // to the next `Content-Length:`, then read from its value.
            Err(e) if e.kind() == io::ErrorKind::InvalidData => {
                let found = matches!(resync(input), Ok(true));
                let refused = Frame::Refused(error(
                    Value::Null,
                    PARSE_ERROR,
                    "Parse error: input that is not a header was skipped up to the next Content-Length",
                ));
                if !each(refused) || !found {
                    return;
                }
                resumed = true;
                continue;
            }
            // The end of the input, or a read that failed.
            Ok(None) | Err(_) => return,
        };
        resumed = false;
        let read = match length {
            Length::Missing => Frame::Refused(error(
                Value::Null,
                PARSE_ERROR,
                "Parse error: the message has no Content-Length header",
            )),
            Length::TooLarge(n) => {
                if skip(input, n).is_err() {
                    return;
                }
                Frame::Refused(error(
                    Value::Null,
                    INVALID_REQUEST,
                    &format!(
                        "Invalid Request: a message of {n} bytes, more than the {MAX_MESSAGE} read"
                    ),
                ))
            }
            Length::Bytes(n) => {
                let mut body = vec![0; n];
                if input.read_exact(&mut body).is_err() {
                    return;
                }
                parse(&body)
            }
        };
        if !each(read) {
            return;
        }
    }
}

/// The body of a frame as a message, or the error to answer.
pub fn parse(body: &[u8]) -> Frame {
    let Ok(text) = std::str::from_utf8(body) else {
        return Frame::Refused(error(
            Value::Null,
            PARSE_ERROR,
            "Parse error: the message is not UTF-8",
        ));
    };
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return Frame::Refused(error(
                Value::Null,
                PARSE_ERROR,
                &format!("Parse error: {e}"),
            ))
        }
    };
    let id = match value.get("id") {
        Some(id @ (Value::Number(_) | Value::String(_))) => id.clone(),
        _ => Value::Null,
    };
    let why = match &value {
        Value::Array(_) => Some("batches are not supported by the Language Server Protocol"),
        Value::Object(_) => None,
        _ => Some("a message is a JSON object"),
    };
    if let Some(why) = why {
        return Frame::Refused(error(
            Value::Null,
            INVALID_REQUEST,
            &format!("Invalid Request: {why}"),
        ));
    }
    match serde_json::from_value::<Message>(value) {
        Ok(message) => Frame::Message(message),
        Err(e) => Frame::Refused(error(id, INVALID_REQUEST, &format!("Invalid Request: {e}"))),
    }
}

fn error(id: Value, code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

enum Length {
    Bytes(usize),
    TooLarge(usize),
    Missing,
}

/// The header that starts a frame, in lower case as [`resync`] looks for it.
const CONTENT_LENGTH: &[u8] = b"content-length:";

/// Skips the input up to and including the next `Content-Length:` (in any
/// case), byte by byte in constant memory: `true` when found, `false` at
/// the end of the input. The pattern has no prefix that is also a suffix,
/// so a mismatch only starts the match again.
fn resync(input: &mut dyn BufRead) -> io::Result<bool> {
    let mut matched = 0;
    loop {
        let buffer = input.fill_buf()?;
        if buffer.is_empty() {
            return Ok(false);
        }
        let mut used = 0;
        for &byte in buffer {
            used += 1;
            let byte = byte.to_ascii_lowercase();
            matched = if CONTENT_LENGTH.get(matched) == Some(&byte) {
                matched + 1
            } else if CONTENT_LENGTH.first() == Some(&byte) {
                1
            } else {
                0
            };
            if matched == CONTENT_LENGTH.len() {
                input.consume(used);
                return Ok(true);
            }
        }
        input.consume(used);
    }
}

/// The headers of one frame: `None` at the end of the input (before any
/// header). After a [`resync`] (`resumed`), the first line is the rest of a
/// `Content-Length:` header: its value.
fn read_headers(input: &mut dyn BufRead, resumed: bool) -> io::Result<Option<Length>> {
    let mut length = None;
    let mut any = false;
    let mut line = Vec::new();
    let mut value_first = resumed;
    loop {
        line.clear();
        // A header line is short; a line of megabytes is not a header.
        let n = input.take(8 * 1024).read_until(b'\n', &mut line)?;
        if n == 0 {
            return if any {
                Err(io::ErrorKind::UnexpectedEof.into())
            } else {
                Ok(None)
            };
        }
        if !line.ends_with(b"\n") {
            return Err(io::ErrorKind::InvalidData.into());
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if any {
                break;
            }
            // Blank lines between frames: tolerated.
            continue;
        }
        any = true;
        if std::mem::take(&mut value_first) {
            length = text.trim().parse::<usize>().ok();
        } else if let Some(value) = content_length(text) {
            length = value.trim().parse::<usize>().ok();
        }
    }
    Ok(Some(match length {
        Some(n) if n > MAX_MESSAGE => Length::TooLarge(n),
        Some(n) => Length::Bytes(n),
        None => Length::Missing,
    }))
}

/// The value of a `Content-Length:` header in a header line, wherever the
/// header starts in it: stray bytes before a frame (`garbage` without a
/// line break, the end of a body longer than its length said) run into
/// the next frame's header line, and the frame is found again there.
fn content_length(line: &str) -> Option<&str> {
    let at = line
        .to_ascii_lowercase()
        .rfind(std::str::from_utf8(CONTENT_LENGTH).ok()?)?;
    line.get(at + CONTENT_LENGTH.len()..)
}

/// Reads and drops `n` bytes.
fn skip(input: &mut dyn BufRead, n: usize) -> io::Result<()> {
    let copied = io::copy(&mut input.take(n as u64), &mut io::sink())?;
    if copied as usize == n {
        Ok(())
    } else {
        Err(io::ErrorKind::UnexpectedEof.into())
    }
}

fn write_frame(out: &Mutex<io::Stdout>, text: &str) -> io::Result<()> {
    let out = out
        .lock()
        .map_err(|_| io::Error::other("stdout lock poisoned"))?;
    let mut out = out.lock();
    write!(out, "Content-Length: {}\r\n\r\n", text.len())?;
    out.write_all(text.as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> Vec<Frame> {
        let mut all = Vec::new();
        read_loop(&mut &input[..], &mut |r| {
            all.push(r);
            true
        });
        all
    }

    fn frame(body: &[u8]) -> Vec<u8> {
        let mut f = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        f.extend_from_slice(body);
        f
    }

    /// The code and id of an answer; code 0 for a message accepted.
    fn refused(r: &Frame) -> (i64, &Value) {
        match r {
            Frame::Refused(v) => (v["error"]["code"].as_i64().unwrap_or(0), &v["id"]),
            Frame::Message(_) => (0, &Value::Null),
        }
    }

    #[test]
    fn invalid_messages_are_answered_and_reading_goes_on() {
        let mut input = Vec::new();
        for body in [
            &b"{not json"[..],
            b"[]",
            b"5",
            b"\xff\xfe",
            br#"{"jsonrpc": "2.0", "id": 7, "method": null}"#,
            br#"[{"jsonrpc": "2.0", "id": 1, "method": "shutdown"}]"#,
            br#"{"jsonrpc": "2.0", "id": 2, "method": "shutdown"}"#,
        ] {
            input.extend(frame(body));
        }
        let all = frames(&input);
        assert_eq!(all.len(), 7, "{all:?}");
        assert_eq!(refused(&all[0]), (PARSE_ERROR, &Value::Null));
        assert_eq!(refused(&all[1]), (INVALID_REQUEST, &Value::Null));
        assert_eq!(refused(&all[2]), (INVALID_REQUEST, &Value::Null));
        assert_eq!(refused(&all[3]), (PARSE_ERROR, &Value::Null));
        assert_eq!(refused(&all[4]), (INVALID_REQUEST, &json!(7)));
        assert_eq!(refused(&all[5]), (INVALID_REQUEST, &Value::Null));
        assert!(
            matches!(&all[6], Frame::Message(Message::Request(r)) if r.method == "shutdown"),
            "{:?}",
            all[6]
        );
    }

    #[test]
    fn framing_problems() {
        // No Content-Length: answered, then the next frame is read.
        let mut input = b"Content-Type: x\r\n\r\n".to_vec();
        input.extend(frame(
            br#"{"jsonrpc": "2.0", "method": "initialized", "params": {}}"#,
        ));
        let all = frames(&input);
        assert_eq!(refused(&all[0]).0, PARSE_ERROR);
        assert!(matches!(&all[1], Frame::Message(Message::Notification(_))));
        // Too large: skipped unread, answered.
        let mut input = format!("Content-Length: {}\r\n\r\n", MAX_MESSAGE + 1).into_bytes();
        input.extend(vec![b' '; MAX_MESSAGE + 1]);
        input.extend(frame(br#"{"jsonrpc": "2.0", "method": "exit"}"#));
        let all = frames(&input);
        assert_eq!(refused(&all[0]).0, INVALID_REQUEST);
        assert!(matches!(&all[1], Frame::Message(Message::Notification(_))));
        // A body cut short: the reader ends.
        assert!(frames(b"Content-Length: 10\r\n\r\n{}").is_empty());
        // A line of megabytes: answered, then the end of the input.
        let all = frames(&vec![b'x'; 100_000]);
        assert_eq!(all.len(), 1, "{all:?}");
        assert_eq!(refused(&all[0]).0, PARSE_ERROR);
        // Nothing at all.
        assert!(frames(b"").is_empty());
    }

    /// Short stray bytes before a frame, or left over from a body longer
    /// than its length said, run into the next header line: the frame is
    /// found there, and every later request is read (the session went on
    /// answering -32700 to every request before).
    #[test]
    fn stray_bytes_before_a_header_do_not_lose_the_frames() {
        let request = |id: u32| {
            frame(format!(r#"{{"jsonrpc": "2.0", "id": {id}, "method": "shutdown"}}"#).as_bytes())
        };
        let mut input = b"garbage".to_vec();
        input.extend(request(1));
        input.extend(b"Content-Length: 5\r\n\r\n{\"a\":1}");
        input.extend(request(2));
        input.extend(b"Content-Type: x\r\n\r\nab");
        input.extend(request(3));
        input.extend(request(4));
        let all = frames(&input);
        let requests: Vec<String> = all
            .iter()
            .filter_map(|f| match f {
                Frame::Message(Message::Request(r)) => Some(r.id.to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(requests, ["1", "2", "3", "4"], "{all:?}");
        assert_eq!(all.len(), 6, "{all:?}");
    }

    /// Input that is not a header is skipped up to the next
    /// `Content-Length:`, wherever it is (after a line of megabytes, in the
    /// middle of a line, in any case, split across the reader's buffer),
    /// and the frame it starts is read.
    #[test]
    fn the_reader_finds_the_next_frame_after_garbage() {
        let shutdown = br#"{"jsonrpc": "2.0", "id": 2, "method": "shutdown"}"#;
        for garbage in [
            vec![b'x'; 100_000],
            [
                vec![b'y'; 9_000],
                b"\r\nmore garbage CoNtEnT-lEnGtH".to_vec(),
            ]
            .concat(),
            [vec![b'C'; 20_000], b"content-lengtcontent-".to_vec()].concat(),
        ] {
            let mut input = garbage.clone();
            if !garbage.ends_with(b"-") && !garbage.ends_with(b"H") {
                input.extend(b"\r\n");
            }
            // The frame's own header, or the rest of one the garbage began.
            let rest = if garbage.ends_with(b"H") {
                format!(": {}\r\n\r\n", shutdown.len())
            } else if garbage.ends_with(b"-") {
                format!("length: {}\r\n\r\n", shutdown.len())
            } else {
                format!("Content-Length: {}\r\n\r\n", shutdown.len())
            };
            input.extend(rest.as_bytes());
            input.extend(shutdown);
            input.extend(frame(br#"{"jsonrpc": "2.0", "method": "exit"}"#));
            // Read through a small buffer, so that the header straddles it.
            let mut reader = io::BufReader::with_capacity(7, &input[..]);
            let mut all = Vec::new();
            read_loop(&mut reader, &mut |r| {
                all.push(r);
                true
            });
            assert_eq!(all.len(), 3, "{all:?}");
            assert_eq!(refused(&all[0]).0, PARSE_ERROR);
            assert!(
                matches!(&all[1], Frame::Message(Message::Request(r)) if r.method == "shutdown"),
                "{:?}",
                all[1]
            );
            assert!(matches!(&all[2], Frame::Message(Message::Notification(_))));
        }
    }
}
