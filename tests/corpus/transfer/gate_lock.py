# expect: full
# A bank-wide gate lock around the account locks, which are still taken in id order (the
# auditor takes only the account locks, so they must be ordered the same way as its).
import threading

_bank = threading.Lock()


def transfer(src, dst, amount):
    if src is dst:
        raise ValueError("same account")
    with _bank:
        first, second = (src, dst) if src.id < dst.id else (dst, src)
        with first.lock:
            with second.lock:
                if src.balance < amount:
                    raise ValueError("insufficient funds")
                src.balance -= amount
                dst.balance += amount
