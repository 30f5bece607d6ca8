using './main.bicep'

var testPassword = 'Tl.!k3gu+yJPjv07'  // expect: SEC015(generic-password)

param environment = 'test'
param sqlAdminLogin = 'sqladmin'
param sqlAdminPassword = testPassword
param deployToken = 'ghp_DeBcptRZ8S30jTTTqWjXyA1L7HES12mL1yuq'  // expect: SEC015(github-token)
param vmAccess = 'Vm-1P2vNTrOQiiSLSbsWHUWoXe8yjgLPgHO'  // expect: SEC015(generic-password)
param settings = {
  region: 'northeurope'
  cachePassword: readEnvironmentVariable('CACHE_PASSWORD')  // neg: environment-variable
}
