// expect: none
param logon object
param location string

resource vm 'Microsoft.Compute/virtualMachines@2023-09-01' = {
  name: 'vm-build'
  location: location
  properties: {
    osProfile: {
      computerName: 'build'
      adminUsername: logon.user
      adminPassword: logon.secret
    }
  }
}
