# expect: partial
# why: ignores the timeout and waits for each lock forever: a lock that another thread never
# why: releases (or releases only after this call) blocks it for good
def acquire_all(locks, timeout):
    for lock in locks:
        lock.acquire()
    return True
