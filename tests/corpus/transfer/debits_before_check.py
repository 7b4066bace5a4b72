# expect: partial
# why: takes the money first and raises if the balance went negative, without putting it
# why: back: a refused transfer still changes the balance
def transfer(src, dst, amount):
    if src is dst:
        raise ValueError("same account")
    first, second = sorted([src, dst], key=lambda account: account.id)
    with first.lock:
        with second.lock:
            src.balance -= amount
            if src.balance < 0:
                raise ValueError("insufficient funds")
            dst.balance += amount
