# expect: partial
# why: acquires by hand and raises ValueError without releasing: after a refused transfer
# why: both locks stay held, and the next transfer on those accounts deadlocks
def transfer(src, dst, amount):
    if src is dst:
        raise ValueError("same account")
    first, second = (src, dst) if src.id < dst.id else (dst, src)
    first.lock.acquire()
    second.lock.acquire()
    if src.balance < amount:
        raise ValueError("insufficient funds")
    src.balance -= amount
    dst.balance += amount
    second.lock.release()
    first.lock.release()
