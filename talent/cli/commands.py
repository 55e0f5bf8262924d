"""Import every command module so that each registers its commands on `talent.cli.app`."""

from talent.cli import data_cmd, forecast_cmd, gap_cmd, plan_cmd, run_cmd  # noqa: F401
