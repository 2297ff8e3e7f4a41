//! The Acquis language server: a thin layer over `acquis-compiler` (see docs/architecture.md).
