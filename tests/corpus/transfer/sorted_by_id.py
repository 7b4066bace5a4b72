# expect: full
import threading  # noqa: F401  (Account, given above, uses it)


def transfer(src, dst, amount):
    if src is dst:
        raise ValueError("cannot transfer from an account to itself")
    first, second = sorted((src, dst), key=lambda account: account.id)
    with first.lock, second.lock:
        if src.balance < amount:
            raise ValueError(f"insufficient funds: {src.balance} < {amount}")
        src.balance -= amount
        dst.balance += amount
