# expect: zero
# why: a syntax error (a missing colon): the cell does not run and transfer is never defined
def transfer(src, dst, amount)
    if src is dst:
        raise ValueError("same account")
    first, second = sorted([src, dst], key=lambda account: account.id)
    with first.lock, second.lock:
        if src.balance < amount:
            raise ValueError("insufficient funds")
        src.balance -= amount
        dst.balance += amount
