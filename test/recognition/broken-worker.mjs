// A worker that fails while loading (as a missing dependency would): the pool must not respawn it forever.
throw new Error('cannot load');
