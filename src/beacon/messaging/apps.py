from beacon.web import appconfig


class MessagingConfig(appconfig.ConnectedAppConfig):
    name = "beacon.messaging"
    label = "messaging"
