"""Invoices for examples/dunning/dunning.rules, made deterministically as CSV text (the form the command
reads), for the Python tests that compare the module with the command."""

import random


def invoice_csv(rows, seed=20261205):
    generator = random.Random(seed)
    lines = ["id,customer_type,amount_cents,paid_cents,due_date,last_notice_date,dunning_level,disputed"]
    for row in range(rows):
        amount = 500 + generator.randrange(200000)
        paid = amount if generator.randrange(5) == 0 else generator.randrange(amount)
        due_day = 1 + generator.randrange(28)
        month = 7 + generator.randrange(4)
        notice = f"2026-{month + 1:02d}-{due_day:02d}" if generator.randrange(3) else ""
        lines.append(f"{row + 1},{generator.choice(['consumer', 'business'])},{amount},{paid},"
                     f"2026-{month:02d}-{due_day:02d},{notice},{generator.randrange(5)},"
                     f"{'true' if generator.randrange(10) == 0 else 'false'}")
    return "\n".join(lines) + "\n"
