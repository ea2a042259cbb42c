-- One row per day from 2005-01-01 up to today.
-- order_by: date_day
-- tests: unique(date_day), not_null(date_day)
SELECT toDate('2005-01-01') + number AS date_day,
       dateName('weekday', date_day) AS day_name,
       toDayOfWeek(date_day) AS day_of_week,
       toISOWeek(date_day) AS week,
       toMonth(date_day) AS month,
       toLastDayOfMonth(date_day) AS month_end,
       toQuarter(date_day) AS quarter,
       toYear(date_day) AS year
FROM numbers(toUInt64(dateDiff('day', toDate('2005-01-01'), today()) + 1))
