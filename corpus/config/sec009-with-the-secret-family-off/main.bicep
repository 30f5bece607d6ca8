// The weak default is reported (SEC009 is on); the strong default is not (SEC011 is off).
@secure()
param adminPassword string = 'changeme'  // expect: SEC009

@secure()
param reportingPassword string = 'Jw4r-Nc8t-Qb2x-Hs6m'

resource sql 'Microsoft.Sql/servers@2023-08-01-preview' = {
  name: 'sql-dev'
  location: 'westeurope'
  properties: {
    administratorLogin: 'sqladmin'
    administratorLoginPassword: adminPassword
  }
}

resource reporting 'Microsoft.Sql/servers@2023-08-01-preview' = {
  name: 'sql-reporting'
  location: 'westeurope'
  properties: {
    administratorLogin: 'reporter'
    administratorLoginPassword: reportingPassword
  }
}
