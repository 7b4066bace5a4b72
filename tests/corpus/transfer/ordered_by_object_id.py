# expect: partial
# mistake: increasing id order
# why: orders the locks by id(account), the object's address, not by its id attribute:
# why: consistent between transfers, but not with the auditor, which takes the locks in
# why: account.id order; a transfer and the auditor deadlock
def transfer(src, dst, amount):
    if src is dst:
        raise ValueError("same account")
    first, second = sorted([src, dst], key=id)
    with first.lock:
        with second.lock:
            if src.balance < amount:
                raise ValueError("insufficient funds")
            src.balance -= amount
            dst.balance += amount
