# expect: partial
# why: only checks that every lock can be taken, then lets go of them all before returning
# why: True: the caller holds nothing
def acquire_all(locks, timeout):
    taken = []
    ok = True
    for lock in locks:
        if not lock.acquire(timeout=timeout):
            ok = False
            break
        taken.append(lock)
    for held in reversed(taken):
        held.release()
    return ok
