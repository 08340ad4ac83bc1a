from beacon.web import appconfig


class MattersConfig(appconfig.ConnectedAppConfig):
    name = "beacon.matters"
    label = "matters"
    verbose_name = "Task-force matters and deconfliction"
