"""Rules of the trade with no Qt and no database: stages, money, dates, validation."""
