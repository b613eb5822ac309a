//! Git history as a stream of blobs with where each was introduced (being written).
