# expect: full
# A stack of context managers, entered in id order; the balance is checked twice, cheaply
# before locking and for real while holding both locks.
from contextlib import ExitStack


def transfer(src, dst, amount):
    if src is dst:
        raise ValueError("src and dst are the same account")
    if src.balance < amount:
        raise ValueError("insufficient funds")  # a quick refusal; checked again below
    with ExitStack() as stack:
        for account in sorted([src, dst], key=lambda a: a.id):
            stack.enter_context(account.lock)
        if src.balance < amount:
            raise ValueError("insufficient funds")
        src.balance -= amount
        dst.balance += amount
