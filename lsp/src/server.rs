//! The server loop: the handshake, the open documents, scheduling
//! analyses on the worker, publishing diagnostics, routing requests, and
//! cancellation, shutdown and exit as the protocol says.

use std::collections::VecDeque;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use crossbeam_channel::{select, Receiver, Sender};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self, Notification as TypedNotification};
use lsp_types::request::{self, Request as TypedRequest};
use lsp_types::{
    CancelParams, DidChangeTextDocumentParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, ExecuteCommandParams, InitializeParams, PublishDiagnosticsParams,
};

use crate::context::Context;
use crate::documents::Documents;
use crate::examples::ExampleResults;
use crate::router::{Notifications, Requests};
use crate::snapshot::Snapshot;
use crate::worker::{self, Job};

/// How the session ended: `exit` after `shutdown` is a clean end (exit
/// code 0); `exit` without it, or the client vanishing, is not (1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    Clean,
    Abrupt,
}

impl Ending {
    pub fn exit_code(self) -> i32 {
        match self {
            Ending::Clean => 0,
            Ending::Abrupt => 1,
        }
    }
}

/// Runs a whole session on a connection.
pub fn run(connection: &Connection) -> Ending {
    let Some(params) = handshake(connection) else {
        return Ending::Abrupt;
    };
    let (results_sender, results) = crossbeam_channel::unbounded();
    let (jobs, worker) = worker::spawn(results_sender);
    let mut server = Server {
        sender: connection.sender.clone(),
        documents: Documents::default(),
        snapshot: Arc::new(Snapshot::empty()),
        clean: Arc::new(Snapshot::empty()),
        generation: 0,
        jobs,
        pending: VecDeque::new(),
        shutdown: false,
        examples: ExampleResults::default(),
        lens_refresh: params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.code_lens.as_ref())
            .and_then(|c| c.refresh_support)
            .unwrap_or(false),
        next_id: 0,
        lang: session_lang(&params),
    };
    let ending = server.serve(&connection.receiver, &results);
    drop(server);
    let _ = worker.join();
    ending
}

/// Waits for `initialize`, answers it with the capabilities. Requests
/// before it get `ServerNotInitialized`, notifications are dropped.
fn handshake(connection: &Connection) -> Option<InitializeParams> {
    loop {
        match connection.receiver.recv().ok()? {
            Message::Request(req) if crate::router::is::<request::Initialize>(&req) => {
                let params: InitializeParams =
                    serde_json::from_value(req.params).unwrap_or_default();
                let result = crate::capabilities::initialize_result();
                let value = serde_json::to_value(result).unwrap_or_default();
                connection
                    .sender
                    .send(Response::new_ok(req.id, value).into())
                    .ok()?;
                return Some(params);
            }
            Message::Request(req) => {
                let response = Response::new_err(
                    req.id,
                    ErrorCode::ServerNotInitialized as i32,
                    "the server is not initialized yet".to_string(),
                );
                connection.sender.send(response.into()).ok()?;
            }
            Message::Notification(n) if n.method == notification::Exit::METHOD => return None,
            Message::Notification(_) | Message::Response(_) => {}
        }
    }
}

struct Server {
    sender: Sender<Message>,
    documents: Documents,
    snapshot: Arc<Snapshot>,
    /// The latest snapshot without syntax errors, for names while typing.
    clean: Arc<Snapshot>,
    /// The generation of the latest analysis asked of the worker.
    generation: u64,
    jobs: Sender<Job>,
    /// Requests waiting for the analysis of the latest edit, with the
    /// generation of the text they were sent against.
    pending: VecDeque<(Request, u64)>,
    shutdown: bool,
    examples: ExampleResults,
    lens_refresh: bool,
    next_id: i32,
    /// The language of diagnostics ([`session_lang`]).
    lang: acquis_diagnostics::Lang,
}

/// The language of a session's diagnostics: the `locale` the client sends
/// in `initialize` (VS Code sends its display language), else the
/// environment's locale; English for any language but French.
fn session_lang(params: &InitializeParams) -> acquis_diagnostics::Lang {
    params
        .locale
        .as_deref()
        .map(|tag| acquis_diagnostics::Lang::from_tag(tag).unwrap_or_default())
        .unwrap_or_else(acquis_diagnostics::Lang::from_environment)
}

impl Server {
    fn serve(&mut self, messages: &Receiver<Message>, results: &Receiver<Arc<Snapshot>>) -> Ending {
        loop {
            select! {
                recv(messages) -> message => match message {
                    Ok(message) => {
                        if let Some(ending) = self.message(message) {
                            // Requests waiting for the analysis, and a
                            // shutdown queued behind them, are answered
                            // before the session ends: every request gets
                            // its response.
                            while !self.pending.is_empty() {
                                match results.recv() {
                                    Ok(snapshot) => self.arrived(snapshot),
                                    Err(_) => break,
                                }
                            }
                            return if self.shutdown { Ending::Clean } else { ending };
                        }
                    }
                    Err(_) => return Ending::Abrupt,
                },
                recv(results) -> snapshot => {
                    if let Ok(snapshot) = snapshot {
                        self.arrived(snapshot);
                    }
                }
            }
        }
    }

    fn send(&self, message: impl Into<Message>) {
        // The client gone is noticed on the receiving side.
        let _ = self.sender.send(message.into());
    }

    fn message(&mut self, message: Message) -> Option<Ending> {
        match message {
            Message::Request(req) => self.request(req),
            Message::Notification(n) => return self.notification(n),
            Message::Response(_) => {}
        }
        None
    }

    fn request(&mut self, req: Request) {
        let shutdown = crate::router::is::<request::Shutdown>(&req);
        if self.shutdown || (shutdown && self.pending.is_empty()) {
            self.shut_down(req);
            return;
        }
        if shutdown || self.snapshot.generation < self.generation {
            // Answering from the previous analysis would use positions of
            // a text the editor no longer has: wait for the current one. A
            // shutdown is answered in order, after the requests it follows.
            self.pending.push_back((req, self.generation));
            return;
        }
        self.answer(req);
    }

    /// `shutdown` answered (the server then refuses every request), or a
    /// request after it refused.
    fn shut_down(&mut self, req: Request) {
        if self.shutdown {
            self.send(Response::new_err(
                req.id,
                ErrorCode::InvalidRequest as i32,
                "the server is shutting down".to_string(),
            ));
        } else {
            self.shutdown = true;
            self.send(Response::new_ok(req.id, ()));
        }
    }

    fn answer(&mut self, req: Request) {
        let id = req.id.clone();
        let snapshot = Arc::clone(&self.snapshot);
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
            // Commands change the server; the other requests only read.
            let dispatch =
                Requests::new(&req).on::<request::ExecuteCommand>(|p| self.execute(&snapshot, p));
            let context = Context {
                snapshot: &snapshot,
                clean: &self.clean,
                documents: &self.documents,
                examples: &self.examples,
                lang: self.lang,
            };
            crate::router::route(&context, dispatch)
        }));
        let response = match outcome {
            Ok(Ok(value)) => Response::new_ok(id, value),
            Ok(Err(error)) => Response {
                id,
                response_result: Err(error),
            },
            Err(_) => Response::new_err(
                id,
                ErrorCode::InternalError as i32,
                format!("internal error while answering `{}`", req.method),
            ),
        };
        self.send(response);
    }

    fn notification(&mut self, n: Notification) -> Option<Ending> {
        use notification::*;
        let mut ending = None;
        Notifications::new(n)
            .on_any::<Exit>(|| {
                ending = Some(if self.shutdown {
                    Ending::Clean
                } else {
                    Ending::Abrupt
                });
            })
            .on::<Cancel>(|p| self.cancel(p))
            .on::<DidOpenTextDocument>(|p| self.opened(p))
            .on::<DidChangeTextDocument>(|p| self.changed(p))
            .on::<DidCloseTextDocument>(|p| self.closed(p))
            // A file changed on disk (an import that is not open, a save
            // by another program): analyse again.
            .on_any::<DidChangeWatchedFiles>(|| self.schedule())
            .on_any::<DidSaveTextDocument>(|| self.schedule());
        ending
    }

    fn cancel(&mut self, params: CancelParams) {
        let id: RequestId = match params.id {
            lsp_types::NumberOrString::Number(n) => n.into(),
            lsp_types::NumberOrString::String(s) => s.into(),
        };
        if let Some(i) = self.pending.iter().position(|(r, _)| r.id == id) {
            self.pending.remove(i);
            self.send(Response::new_err(
                id,
                ErrorCode::RequestCanceled as i32,
                "canceled by the client".to_string(),
            ));
        }
    }

    fn opened(&mut self, p: DidOpenTextDocumentParams) {
        if let Some(path) = crate::paths::to_path(&p.text_document.uri) {
            let doc = p.text_document;
            self.documents.open(doc.uri, path, doc.version, doc.text);
            self.schedule();
        }
    }

    fn changed(&mut self, p: DidChangeTextDocumentParams) {
        if let Some(path) = crate::paths::to_path(&p.text_document.uri) {
            let version = p.text_document.version;
            if self.documents.change(&path, version, p.content_changes) {
                self.schedule();
            }
        }
    }

    fn closed(&mut self, p: DidCloseTextDocumentParams) {
        if let Some(path) = crate::paths::to_path(&p.text_document.uri) {
            if self.documents.close(&path).is_some() {
                self.publish(p.text_document.uri, Vec::new(), None);
                self.schedule();
            }
        }
    }

    /// Asks the worker for an analysis of the documents as they are now.
    fn schedule(&mut self) {
        self.generation += 1;
        let job = Job {
            generation: self.generation,
            texts: self.documents.texts(),
        };
        let _ = self.jobs.send(job);
    }

    fn arrived(&mut self, snapshot: Arc<Snapshot>) {
        if snapshot.generation < self.snapshot.generation {
            return;
        }
        let parsed_cleanly = snapshot.units.iter().all(|u| {
            !u.compilation
                .diagnostics
                .iter()
                .any(|d| d.code == acquis_compiler::Code::Syntax)
        });
        // Freeing a compilation of a large referential takes tens of
        // milliseconds: do it on another thread, not before publishing.
        let mut old = vec![std::mem::replace(&mut self.snapshot, Arc::clone(&snapshot))];
        if parsed_cleanly {
            old.push(std::mem::replace(&mut self.clean, snapshot));
        }
        std::thread::spawn(move || drop(old));
        if self.snapshot.generation != self.generation {
            // A newer edit is on its way; its analysis will publish.
            return;
        }
        let snapshot = Arc::clone(&self.snapshot);
        let open: Vec<_> = self
            .documents
            .iter()
            .map(|d| (d.uri.clone(), d.path.clone(), d.version))
            .collect();
        for (uri, path, version) in open {
            let diagnostics = crate::diagnostics::for_file(&snapshot, &path, self.lang);
            self.publish(uri, diagnostics, Some(version));
        }
        while let Some((req, generation)) = self.pending.pop_front() {
            if self.shutdown || crate::router::is::<request::Shutdown>(&req) {
                self.shut_down(req);
                continue;
            }
            // Positions of a request sent before the latest edit point into
            // a text that is gone: the client asks again (ContentModified).
            let about_text = !(crate::router::is::<request::ExecuteCommand>(&req)
                || crate::router::is::<request::WorkspaceSymbolRequest>(&req));
            if generation < self.generation && about_text {
                self.send(Response::new_err(
                    req.id,
                    ErrorCode::ContentModified as i32,
                    "the document changed since the request".to_string(),
                ));
            } else {
                self.answer(req);
            }
        }
    }

    fn publish(
        &self,
        uri: lsp_types::Uri,
        diagnostics: Vec<lsp_types::Diagnostic>,
        version: Option<i32>,
    ) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.notify::<notification::PublishDiagnostics>(params);
    }

    /// `workspace/executeCommand`: runs an example (the only command),
    /// tells the user how it went, and has the client ask for the lenses
    /// again, which now show the result.
    fn execute(
        &mut self,
        snapshot: &Snapshot,
        params: ExecuteCommandParams,
    ) -> Result<Option<serde_json::Value>, lsp_server::ResponseError> {
        let ran = crate::lens::execute(snapshot, &mut self.examples, params)?;
        self.notify::<notification::ShowMessage>(ran.message);
        self.refresh_lenses();
        Ok(Some(ran.answer))
    }

    fn notify<N: TypedNotification>(&self, params: N::Params) {
        self.send(Notification::new(N::METHOD.to_string(), params));
    }

    /// Asks the client to ask again for code lenses, if it can.
    fn refresh_lenses(&mut self) {
        if self.lens_refresh {
            self.next_id += 1;
            let id = RequestId::from(format!("acquis-{}", self.next_id));
            self.send_request::<request::CodeLensRefresh>(id, ());
        }
    }

    fn send_request<R: TypedRequest>(&self, id: RequestId, params: R::Params) {
        self.send(Request::new(id, R::METHOD.to_string(), params));
    }
}
