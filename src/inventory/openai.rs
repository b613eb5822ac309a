//! The `openai` source (in progress).
