from beacon.web import appconfig


class DirectoryConfig(appconfig.ConnectedAppConfig):
    name = "beacon.directory"
    label = "directory"
