"""E-mail alerts on library searches: the public pages under /alerts/ and the services
behind them and behind `manage.py send_alerts`."""
