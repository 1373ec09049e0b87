export { SourceBanners, sourceTitle } from './SourceBanners';
