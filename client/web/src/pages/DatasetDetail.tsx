import { Placeholder } from './Placeholder';

export default function DatasetDetail() {
  return <Placeholder label="dashboard" />;
}
