"""Set-up shared by every test file."""

import os
import tempfile

# The store's per-user read cache (store.cache) would otherwise be written under the real
# ~/.cache of whoever runs the tests; child processes inherit this as well.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="jixiao-test-cache-")
