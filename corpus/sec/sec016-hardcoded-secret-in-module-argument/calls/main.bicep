// Module calls that pass literal secrets: to @secure() parameters, to parameters used as
// credentials, under secret-like names (also to a registry module), through variables, in loops
// and under conditions.
param location string = resourceGroup().location
param deployVm bool

var sharedPassword = '7LzrxFK3QhyjwaY+'  // expect: SEC016(generic-password)

module sql 'modules/sql.bicep' = {
  name: 'sql'
  params: {
    location: location
    administratorLogin: 'sqladmin'
    administratorLoginPassword: 'biWr+eR9*PdckGLe'  // expect: SEC016(generic-password)
  }
}

module sqlCopies 'modules/sql.bicep' = [for region in ['weu', 'neu']: {
  name: 'sql-${region}'
  params: {
    location: region
    administratorLogin: 'sqladmin'
    administratorLoginPassword: sharedPassword
  }
}]

module vm 'modules/vm.bicep' = if (deployVm) {
  name: 'vm'
  params: {
    location: location
    logon: {
      user: 'azureuser'
      secret: '9*NIPDMpI*xK0ipS'  // expect: SEC016(generic-password)
    }
  }
}

module app 'modules/app.bicep' = {
  name: 'app'
  params: {
    location: location
    settings: {
      ORDERS_API_KEY: 'SZKhkl5KXqEVl99iKwJgTqPLb0G3AqLC'  // expect: SEC016(generic-api-key)
      SERVICEBUS_CONNECTION: 'Endpoint=sb://sb-orders.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=am0eiEGhd3WIfCENkHTmuzZqTPBBn4i0j6nqCRuE3Uo='  // expect: SEC016(azure-servicebus-conn-string)
    }
  }
}

module registrySql 'br/public:avm/res/sql/server:0.4.0' = {
  name: 'registry-sql'
  params: {
    name: 'sql-orders-avm'
    administratorLogin: 'sqladmin'
    administratorLoginPassword: 'Lyk_z8mPJbV5T1yk'  // expect: SEC016(generic-password)
  }
}
