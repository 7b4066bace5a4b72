# expect: partial
# mistake: both accounts' locks
# why: never holds both locks: debits src under src's lock, then credits dst under dst's.
# why: No deadlock, but an auditor holding every lock can see the money in flight (the
# why: total is short by the amount)
def transfer(src, dst, amount):
    if src is dst:
        raise ValueError("same account")
    with src.lock:
        if src.balance < amount:
            raise ValueError("insufficient funds")
        src.balance -= amount
    with dst.lock:
        dst.balance += amount
