import { Placeholder } from './Placeholder';

export default function ActivityDetail() {
  return <Placeholder label="dashboard" />;
}
