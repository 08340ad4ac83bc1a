from beacon.web import appconfig


class IntelConfig(appconfig.ConnectedAppConfig):
    name = "beacon.intel"
    label = "intel"
