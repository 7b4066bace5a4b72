# expect: partial
# mistake: deadlock
# why: takes src's lock, then dst's (the guide's deadlock): two transfers in opposite
# why: directions each hold one lock and wait for the other forever
def transfer(src, dst, amount):
    if src is dst:
        raise ValueError("same account")
    with src.lock:
        with dst.lock:
            if src.balance < amount:
                raise ValueError("insufficient funds")
            src.balance -= amount
            dst.balance += amount
