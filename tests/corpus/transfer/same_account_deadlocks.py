# expect: partial
# why: checks src is dst only after taking both locks: transfer(a, a, ...) takes a's lock,
# why: then waits for it again, forever, instead of raising ValueError
def transfer(src, dst, amount):
    first, second = sorted([src, dst], key=lambda account: account.id)
    with first.lock:
        with second.lock:
            if src is dst:
                raise ValueError("same account")
            if src.balance < amount:
                raise ValueError("insufficient funds")
            src.balance -= amount
            dst.balance += amount
