// The template is in a registry and cannot be read: names and formats still tell.
using 'br/public:avm/res/sql/server:0.4.0'

param name = 'sql-orders'
param administratorLogin = 'sqladmin'
param administratorLoginPassword = 'e+qRJ6_1Ih6yHkj0'  // expect: SEC015(generic-password)
param storageConnectionString = 'DefaultEndpointsProtocol=https;AccountName=stordersweu;AccountKey=3kxHnXkEaq2w1MZUa9OezNRoUGksBrZOpuxp2iiRlH219eyjvkdcctRggZ+IIBBnouO1PN6+CGl0Sk5ILrwSBw=='  // expect: SEC015(azure-storage-conn-string)
param secretName = 'sql-admin-password'  // neg: secret-name-registry
