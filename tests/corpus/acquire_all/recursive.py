# expect: full
# The first lock, then the rest (recursively); if the rest fails, give the first one back.
def acquire_all(locks, timeout):
    if not locks:
        return True
    first, rest = locks[0], locks[1:]
    if not first.acquire(timeout=timeout):
        return False
    if acquire_all(rest, timeout):
        return True
    first.release()
    return False
