# expect: full
def transfer(src, dst, amount):
    if src is dst:
        raise ValueError("same account")
    low = src if src.id < dst.id else dst
    high = dst if low is src else src
    low.lock.acquire()
    try:
        high.lock.acquire()
        try:
            if src.balance < amount:
                raise ValueError("not enough money")
            src.balance = src.balance - amount
            dst.balance = dst.balance + amount
        finally:
            high.lock.release()
    finally:
        low.lock.release()
