from beacon.web import appconfig


class TipsConfig(appconfig.ConnectedAppConfig):
    name = "beacon.tips"
    label = "tips"
