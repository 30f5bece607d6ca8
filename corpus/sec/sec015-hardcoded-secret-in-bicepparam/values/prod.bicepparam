using './main.bicep'

param environment = 'prod'
param sqlAdminLogin = 'sqladmin'
param sqlAdminPassword = 'n3yj36jfD7Zfxw*x'  // expect: SEC015(generic-password)
param deployToken = 'XkWEwRPB6j0s7JfMtNTvypEZNquFv9Pj'  // expect: SEC015(generic-token)
param vmAccess = 'A.E#oaAvuBY18.0p'  // expect: SEC015(generic-password)
param settings = {
  region: 'westeurope'
  cachePassword: '*vMRiXyEvG3eZ#cP'  // expect: SEC015(generic-password)
}
