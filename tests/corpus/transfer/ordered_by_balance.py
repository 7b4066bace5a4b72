# expect: partial
# why: orders the locks by balance, which changes with every transfer: two transfers that
# why: read the balances at different times take the same two locks in opposite orders
def transfer(src, dst, amount):
    if src is dst:
        raise ValueError("same account")
    first, second = sorted([src, dst], key=lambda account: account.balance)
    with first.lock:
        with second.lock:
            if src.balance < amount:
                raise ValueError("insufficient funds")
            src.balance -= amount
            dst.balance += amount
