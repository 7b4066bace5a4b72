"""Deeper scenarios per exercise, for deciding equivalence (:mod:`.deeper`; docs/mutants.md).

Each scenario takes the namespace the mutant defined its names in and returns an engine result
(or raises): more threads and more rounds than the exercise's tests, with larger budgets.
"""

from __future__ import annotations

import threading
from types import SimpleNamespace

from autograder import explore

BIG = {"max_executions": 20_000, "time_budget": 60}


def counter_three_threads(ns):
    def setup():
        return ns["Counter"]()

    def inc(c):
        for _ in range(2):
            c.increment()
    return explore(setup, {"A": inc, "B": inc, "C": inc}, lambda c: c.value == 6, **BIG)


def bank_account_mixed(ns):
    def setup():
        return ns["BankAccount"](2)

    def withdraw(acc):
        try:
            acc.withdraw(2)
        except ValueError:
            pass

    def deposit(acc):
        acc.deposit(1)
    return explore(setup, {"W1": withdraw, "W2": withdraw, "D": deposit},
                   lambda acc: acc.balance in (1, 3) and acc.balance >= 0, **BIG)


def inventory_batches(ns):
    def setup():
        return SimpleNamespace(inv=ns["Inventory"](), seen=[])

    def batch(s):
        s.inv.add_many({"a": 1, "b": 2})

    def single(s):
        s.inv.add("a")

    def watch(s):
        s.seen.append(s.inv.total())

    def ok(s):
        assert s.inv.total() == 7 and s.inv.count("a") == 3, (s.inv.total(), s.inv.count("a"))
        assert all(t in (0, 1, 3, 4, 6, 7) for t in s.seen), s.seen
    return explore(setup, {"B1": batch, "B2": batch, "S": single, "T": watch}, ok, **BIG)


def readers_writers_two_writers_two_readers(ns):
    def setup():
        return SimpleNamespace(rw=ns["ReadWriteLock"](), inside=[])

    def writer(name):
        def run(s):
            s.rw.acquire_write()
            assert not s.inside, f"{name} got in while {s.inside} were inside"
            s.inside.append(name)
            s.inside.remove(name)
            s.rw.release_write()
        return run

    def reader(name):
        def run(s):
            s.rw.acquire_read()
            assert "W1" not in s.inside and "W2" not in s.inside, s.inside
            s.inside.append(name)
            s.inside.remove(name)
            s.rw.release_read()
        return run
    return explore(setup, {"W1": writer("W1"), "W2": writer("W2"), "R1": reader("R1"),
                           "R2": reader("R2")}, lock_order=False, **BIG)


def bounded_buffer_many(ns):
    def setup():
        return SimpleNamespace(buf=ns["BoundedBuffer"](1), got=[])

    def put(items):
        def run(s):
            for item in items:
                s.buf.put(item)
        return run

    def get(n):
        def run(s):
            for _ in range(n):
                s.got.append(s.buf.get())
        return run

    def ok(s):
        assert sorted(s.got) == [1, 2, 3, 4], s.got
        assert len(s.buf) == 0
    return explore(setup, {"P1": put([1, 2]), "P2": put([3, 4]), "C1": get(2), "C2": get(2)},
                   ok, **BIG)


def reusable_barrier_rounds(ns):
    def setup():
        return SimpleNamespace(b=ns["ReusableBarrier"](3), log=[])

    def member(name):
        def run(s):
            for r in range(3):
                s.log.append((r, name))
                s.b.wait()
        return run

    def ok(s):
        rounds = [r for r, _ in s.log]
        assert rounds == sorted(rounds), f"a thread went on before the others arrived: {s.log}"
    return explore(setup, {"A": member("A"), "B": member("B"), "C": member("C")}, ok, **BIG)


def rendezvous_rounds(ns):
    def setup():
        return SimpleNamespace(r=[ns["Rendezvous"](), ns["Rendezvous"]()], log=[])

    def side(name, arrive):
        def run(s):
            for i, r in enumerate(s.r):
                s.log.append((i, name, "arrive"))
                getattr(r, arrive)()
                s.log.append((i, name, "past"))
        return run

    def ok(s):
        for i in range(2):
            arrivals = [k for k, e in enumerate(s.log) if e[0] == i and e[2] == "arrive"]
            pasts = [k for k, e in enumerate(s.log) if e[0] == i and e[2] == "past"]
            assert max(arrivals) < min(pasts), s.log
    return explore(setup, {"A": side("A", "arrive_a"), "B": side("B", "arrive_b")}, ok, **BIG)


def one_shot_many(ns):
    def setup():
        return SimpleNamespace(o=ns["OneShot"](), got=[], sets=[])

    def setter(v):
        def run(s):
            try:
                s.o.set(v)
                s.sets.append(v)
            except RuntimeError:
                pass
        return run

    def getter(s):
        s.got.append(s.o.get())

    def ok(s):
        assert len(s.sets) == 1, s.sets
        assert s.got == [s.sets[0]] * 2, (s.got, s.sets)
    return explore(setup, {"S1": setter(1), "S2": setter(2), "G1": getter, "G2": getter}, ok,
                   **BIG)


def connection_pool_three(ns):
    def setup():
        return SimpleNamespace(pool=ns["ConnectionPool"](2), holders=set(), max=[0])

    def user(s):
        for _ in range(2):
            conn = s.pool.acquire()
            assert conn not in s.holders, f"connection {conn} has two holders"
            s.holders.add(conn)
            s.max[0] = max(s.max[0], len(s.holders))
            s.holders.discard(conn)
            s.pool.release(conn)
    return explore(setup, {"A": user, "B": user, "C": user}, lambda s: s.max[0] <= 2, **BIG)


def transfer_triangle(ns):
    account = ns["Account"]

    def setup():
        return [account(i, 2) for i in range(3)]

    def move(a, b):
        def run(accs):
            try:
                ns["transfer"](accs[a], accs[b], 1)
            except ValueError:
                pass
        return run

    def ok(accs):
        assert sum(a.balance for a in accs) == 6 and all(a.balance >= 0 for a in accs)
    return explore(setup, {"AB": move(0, 1), "BC": move(1, 2), "CA": move(2, 0)}, ok, **BIG)


def transfer_out_of_each(ns):
    """Two transfers out of one account, for the lowest, middle and highest id: only one can
    succeed, whichever lock is taken first."""
    account = ns["Account"]
    for src in range(3):
        def setup(src=src):
            return [account(i, 100 if i == src else 0) for i in range(3)]

        def send(dst, src=src):
            def run(accs):
                try:
                    ns["transfer"](accs[src], accs[dst], 60)
                except ValueError:
                    pass
            return run

        def ok(accs):
            assert all(a.balance >= 0 for a in accs) and sum(a.balance for a in accs) == 100, [
                a.balance for a in accs]
        others = [i for i in range(3) if i != src]
        result = explore(setup, {"T1": send(others[0]), "T2": send(others[1])}, ok, **BIG)
        if not result.ok:
            return result
    return result


def acquire_all_three(ns):
    def setup():
        return [threading.Lock() for _ in range(3)]

    def take(order):
        def run(locks):
            mine = [locks[i] for i in order]
            if ns["acquire_all"](mine, 0.5):
                for lock in mine:
                    lock.release()
        return run

    def ok(locks):
        assert not any(lock.locked() for lock in locks), "a lock stayed held"
    return explore(setup, {"A": take([0, 1, 2]), "B": take([2, 1, 0]), "C": take([1, 0])}, ok,
                   **BIG)


def dining_philosophers_three(ns):
    def setup():
        return SimpleNamespace(table=ns["DiningTable"](3), eating=set())

    def philosopher(i):
        def run(s):
            for _ in range(2):
                s.table.pick_up(i)
                assert (i - 1) % 3 not in s.eating and (i + 1) % 3 not in s.eating, (
                    f"philosopher {i} eats beside {sorted(s.eating)}")
                s.eating.add(i)
                s.eating.discard(i)
                s.table.put_down(i)
        return run
    return explore(setup, {f"P{i}": philosopher(i) for i in range(3)}, **BIG)


SCENARIOS = {
    "counter": (counter_three_threads,),
    "bank_account": (bank_account_mixed,),
    "inventory": (inventory_batches,),
    "connection_pool": (connection_pool_three,),
    "one_shot": (one_shot_many,),
    "transfer": (transfer_triangle, transfer_out_of_each),
    "acquire_all": (acquire_all_three,),
    "bounded_buffer": (bounded_buffer_many,),
    "rendezvous": (rendezvous_rounds,),
    "reusable_barrier": (reusable_barrier_rounds,),
    "readers_writers": (readers_writers_two_writers_two_readers,),
    "dining_philosophers": (dining_philosophers_three,),
}
