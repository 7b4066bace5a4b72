# expect: zero
# why: tries to search for the schedules itself and loops forever: the answer cell is
# why: interrupted, so no schedule is ever defined
flag_schedule = []
while not flag_schedule:
    pass
tickets_schedule = wait_if_schedule = lazy_init_schedule = gate_schedule = flag_schedule
