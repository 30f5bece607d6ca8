// Secrets written as parameter defaults: any literal default of a @secure() parameter, literals
// under secret-like names, known credential formats, and defaults that reach credential properties.
@secure()
param sqlAdminPassword string = '5MhC+e#4.A90kHGB'  // expect: SEC011(generic-password)

@secure()
param vmAdminPassword string = 'sk-2LjA!y_ZKY8vQDcj'  // expect: SEC011(generic-password)

@secure()
@description('Client secret of the deployment principal')
param clientSecret string = 'zUV8Q~I95RKhr9owcTQLZbtot30ivBgToRxwJBZb'  // expect: SEC011(entra-client-secret)

// Not secure and named like a secret: the literal is reported (and the missing decorator too
// where the opt-in SEC010 is on).
param redisPassword string = '5#2BthHakaLgrazN'  // expect: SEC011(generic-password)

// A name that says nothing, but a known format.
param storageConnection string = 'DefaultEndpointsProtocol=https;AccountName=stordersweu;AccountKey=aaain6NHXNRO1FV0cv3q5x6B7FHDysuG39BQe80LqcwvLtnPyQyAz0OO7nnNbJLRjXdNnxVvmAgu9aRj84NdAg==;EndpointSuffix=core.windows.net'  // expect: SEC011(azure-storage-conn-string)
param eventsEndpoint string = 'Endpoint=sb://sb-orders.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=ztcy6uzEcG6bUdeoZczmdkM6bRYTLjS3A4Yore9gRhw='  // expect: SEC011(azure-servicebus-conn-string)
param registryKey string = 'AHrXCJdXJZY5fdjLq9Z0w6QzWXSqcyuqyYl3chG++w+ACRAwKvBg'  // expect: SEC011(azure-container-registry-key)

// A name that says nothing, used as a credential property.
param sqlLogin string = 'sqladmin'
param sqlLoginSecondary string = 'C7EfowY5*oFhH-Bv'  // expect: SEC011(generic-password)

// A secure object whose default holds a password.
@secure()
param databaseSettings object = {
  host: 'pg-orders.postgres.database.azure.com'
  password: '9!9IO7JJ3hkAKvN6'  // expect: SEC011(generic-password)
}

// A ternary of literals.
param isProduction bool = false
@secure()
param apiToken string = isProduction ? '0RjEw4n8r6shDUgeMi3E6QRZczJkBNzl' : 'F7hx6DR74fLpJzmTMrjnYImJd1bktGzm'  // expect: SEC011(generic-token)

resource sql 'Microsoft.Sql/servers@2023-08-01-preview' = {
  name: 'sql-orders'
  location: 'westeurope'
  properties: {
    administratorLogin: sqlLogin
    administratorLoginPassword: sqlAdminPassword
  }
}

resource sqlSecondary 'Microsoft.Sql/servers@2023-08-01-preview' = {
  name: 'sql-orders-dr'
  location: 'northeurope'
  properties: {
    administratorLogin: sqlLogin
    administratorLoginPassword: sqlLoginSecondary
  }
}

resource vm 'Microsoft.Compute/virtualMachines@2023-09-01' = {
  name: 'vm-build'
  location: 'westeurope'
  properties: {
    osProfile: {
      computerName: 'build'
      adminUsername: 'azureuser'
      adminPassword: vmAdminPassword
    }
  }
}
