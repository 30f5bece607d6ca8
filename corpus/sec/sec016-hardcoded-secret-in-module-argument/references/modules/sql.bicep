// expect: none
@secure()
param administratorLoginPassword string
param administratorLogin string
param secretName string
param location string

resource sql 'Microsoft.Sql/servers@2023-08-01-preview' = {
  name: 'sql-orders'
  location: location
  properties: {
    administratorLogin: administratorLogin
    administratorLoginPassword: administratorLoginPassword
  }
}

output secretUsed string = secretName
