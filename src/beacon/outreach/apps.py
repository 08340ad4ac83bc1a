from beacon.web import appconfig


class OutreachConfig(appconfig.ConnectedAppConfig):
    name = "beacon.outreach"
    label = "outreach"
    verbose_name = "Outreach in the field"
