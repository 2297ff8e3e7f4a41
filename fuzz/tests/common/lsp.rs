//! What the fuzz tests share to talk to an in-memory language server.
//! Included with `#[path]`: each test file is its own crate.

use std::time::Duration;

use lsp_server::{Connection, Message, RequestId, Response};
use serde_json::Value;

/// The next response to `id`, answering the server's own requests
/// (configuration, progress); a panic when nothing comes for `hang`.
pub fn response(conn: &Connection, id: &RequestId, hang: Duration) -> Response {
    loop {
        match conn.receiver.recv_timeout(hang) {
            Ok(Message::Response(r)) if &r.id == id => return r,
            Ok(Message::Request(r)) => {
                let _ = conn.sender.send(Response::new_ok(r.id, Value::Null).into());
            }
            Ok(_) => {}
            Err(e) => panic!("the server stopped answering: {e}"),
        }
    }
}
