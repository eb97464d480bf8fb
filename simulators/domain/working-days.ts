/**
 * Working days in England and Wales: Monday to Friday except bank holidays (config/bank-holidays.json).
 * Windows such as "amend until 5 working days before delivery" count whole UTC days.
 */
const DAY = 86_400_000;

export class WorkingCalendar {
  private readonly holidays: Set<string>;

  constructor(holidays: readonly string[]) {
    this.holidays = new Set(holidays);
  }

  isWorkingDay(date: Date): boolean {
    const weekday = date.getUTCDay();
    return weekday !== 0 && weekday !== 6 && !this.holidays.has(date.toISOString().slice(0, 10));
  }

  /** The date `n` working days after (or, negative, before) `date`, at midnight UTC. */
  addWorkingDays(date: Date, n: number): Date {
    let day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
    const step = n < 0 ? -1 : 1;
    for (let left = Math.abs(n); left > 0;) {
      day = new Date(day.getTime() + step * DAY);
      if (this.isWorkingDay(day)) left -= 1;
    }
    return day;
  }
}
