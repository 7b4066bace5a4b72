# expect: partial
# mistake: check-then-act
# why: checks the balance before taking the locks (check-then-act): two transfers out of
# why: the same account both pass the check, and together overdraw it
def transfer(src, dst, amount):
    if src is dst:
        raise ValueError("same account")
    if src.balance < amount:
        raise ValueError("insufficient funds")
    first, second = sorted([src, dst], key=lambda account: account.id)
    with first.lock:
        with second.lock:
            src.balance -= amount
            dst.balance += amount
