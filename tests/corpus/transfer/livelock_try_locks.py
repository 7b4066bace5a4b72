# expect: partial
# why: spins: tries both locks without blocking and, when the second is busy, lets go of the
# why: first and tries again at once, in a busy loop. Right in one thread, but a thread that
# why: waits for a busy lock burns the CPU, and two transfers in opposite directions can keep
# why: retrying in step forever (a livelock)
def transfer(src, dst, amount):
    if src is dst:
        raise ValueError("same account")
    while True:
        if src.lock.acquire(blocking=False):
            if dst.lock.acquire(blocking=False):
                break
            src.lock.release()
    try:
        if src.balance < amount:
            raise ValueError("insufficient funds")
        src.balance -= amount
        dst.balance += amount
    finally:
        dst.lock.release()
        src.lock.release()
