export { FleetTheme } from './FleetTheme';
