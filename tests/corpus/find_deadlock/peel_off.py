# expect: full
# Peel off threads that cannot be in a cycle (those that run, wait for a free lock, or wait
# for a thread already peeled off); whatever is left is on a cycle, or waits into one.
def find_deadlock(holds, waits):
    nxt = {t: holds[lock] for t, lock in waits.items() if lock in holds}
    alive = set(nxt)
    changed = True
    while changed:
        changed = False
        for t in list(alive):
            if nxt[t] not in alive:
                alive.discard(t)
                changed = True
    if not alive:
        return None
    # every thread left leads into a cycle: walk len(alive) steps to be surely on it
    t = next(iter(alive))
    for _ in range(len(alive)):
        t = nxt[t]
    cycle = [t]
    while nxt[cycle[-1]] != t:
        cycle.append(nxt[cycle[-1]])
    return cycle
